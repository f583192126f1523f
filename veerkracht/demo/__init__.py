"""Demostad: a fictional Dutch district in the same shapes the real importers produce."""

from veerkracht.demo.generator import DemoData, generate_demostad

__all__ = ["DemoData", "generate_demostad"]
