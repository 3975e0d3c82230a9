# Item changes streamed to a Kinesis data stream (Kinesis Data Streams for DynamoDB).
resource "aws_dynamodb_kinesis_streaming_destination" "this" {
  count = var.kinesis_stream_arn == null ? 0 : 1

  table_name = aws_dynamodb_table.this.name
  stream_arn = var.kinesis_stream_arn
}
