"""The intake app's demo steps (found by `seed_demo` through autodiscovery of `<app>/demo.py`)."""

from intake import demo_demand  # noqa: F401  unmet demand and the figures: registers its @demo_step
