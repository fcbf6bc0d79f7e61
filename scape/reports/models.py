"""Programme indicators and dashboards, read-only over the other apps."""
