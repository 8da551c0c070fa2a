"""The lab's durable event store, its HTTP endpoints and the kernel spool reader."""
