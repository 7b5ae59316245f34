"""human_resources: start of the plugin's migration branch (tables prefixed human_resources_).

Revision ID: human_resources_0001
Revises:
"""

from typing import Sequence, Union

revision: str = "human_resources_0001"
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = ("human_resources",)
depends_on: Union[str, Sequence[str], None] = "core_0001"


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
