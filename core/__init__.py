"""juzhu kernel: holder and permit model, rules, hooks, plugin manager, app shells.

The kernel knows no department; departments are plugins (package ``plugins``) that
talk to it only through :mod:`core.api`.
"""

__version__ = "0.1.0"
