"""The `faims` command: every management command of FAIMS (faims migrate, faims load_demo, …)."""
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "faims.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["faims", *sys.argv[1:]])


if __name__ == "__main__":
    main()
