"""Built-in department plugins. Each is an ordinary plugin found through the
``juzhu.plugins`` entry-point group, exactly as a third-party one would be."""
