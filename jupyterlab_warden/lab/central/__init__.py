"""The lab server's side of the central service: policy source, event relay, status."""

from .policy_source import CentralPolicySource

__all__ = ["CentralPolicySource"]
