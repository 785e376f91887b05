"""Tests of handout/tiling/."""
