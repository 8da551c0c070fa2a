"""A third-party-style package for tests: a scikit-learn-like estimator and payload builders."""

from .estimator import TinyEstimator

__all__ = ["TinyEstimator"]
