"""The kernel's own behaviour, shipped as plugins (datasette style): they use the same hooks
as a department plugin, so the hooks are exercised by the kernel itself. They are always
registered and cannot be disabled."""
