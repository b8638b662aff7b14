"""faims demo_accounts: the demo users, their roles, scopes and the demo password."""
from django.core.management.base import BaseCommand

from faims.demo import accounts


class Command(BaseCommand):
    help = "列出演示账号（用户名、角色、范围、密码）。"

    def handle(self, *args, **options):
        self.stdout.write(accounts.format_table(accounts.account_rows()))
