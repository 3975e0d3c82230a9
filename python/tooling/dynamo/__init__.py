"""DynamoDB I/O: serialisation, the batch writer and its verification, export/import files."""
