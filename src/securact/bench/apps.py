from django.apps import AppConfig


class BenchConfig(AppConfig):
    """``securact bench`` (README "Performance"): no models of its own."""

    name = "securact.bench"
    label = "bench"
