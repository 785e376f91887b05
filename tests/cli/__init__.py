"""Tests of handout/cli/."""
