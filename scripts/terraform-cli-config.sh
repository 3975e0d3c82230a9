#!/bin/sh
# Prints a Terraform CLI configuration that installs providers from a local filesystem mirror when
# the machine has one, and from their registries otherwise.
#   TF_PROVIDER_MIRROR=DIR   use DIR as the mirror (it must exist)
# Without it the first of these that holds providers is used: /opt/tf-plugins,
# $HOME/.terraform.d/plugins, /usr/local/share/terraform/plugins, /usr/share/terraform/plugins.
# Providers in an unpacked mirror are linked into .terraform, not copied.
set -eu

mirror="${TF_PROVIDER_MIRROR:-}"
if [ -n "$mirror" ]; then
  if [ ! -d "$mirror" ]; then
    echo "terraform-cli-config: TF_PROVIDER_MIRROR=$mirror is not a directory" >&2
    exit 2
  fi
else
  for dir in /opt/tf-plugins "${HOME:-/nonexistent}/.terraform.d/plugins" \
    /usr/local/share/terraform/plugins /usr/share/terraform/plugins; do
    if [ -d "$dir" ] && [ -n "$(find "$dir" -mindepth 3 -maxdepth 3 -type d 2>/dev/null | head -n 1)" ]; then
      mirror="$dir"
      break
    fi
  done
fi

# Providers the mirror holds, as HOSTNAME/NAMESPACE/TYPE; only these come from it.
providers=""
if [ -n "$mirror" ]; then
  providers=$(cd "$mirror" && find . -mindepth 3 -maxdepth 3 -type d -not -path './.*' | sed 's|^\./||' | sort)
fi

if [ -z "$providers" ]; then
  echo "# No local provider mirror found: providers come from their registries."
  echo "provider_installation {"
  echo "  direct {}"
  echo "}"
  exit 0
fi

list=$(printf '%s\n' "$providers" | sed 's/.*/"&"/' | paste -sd, - | sed 's/,/, /g')
cat <<CONF
# Providers found in the local mirror $mirror are installed from it; others from their registries.
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = [$list]
  }
  direct {
    exclude = [$list]
  }
}
CONF
