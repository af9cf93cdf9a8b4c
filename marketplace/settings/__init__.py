"""Settings package: `base` reads the environment; `local`, `test`, `production` only override."""
