"""The kernel's own admin views, one ModelView subclass per model."""
