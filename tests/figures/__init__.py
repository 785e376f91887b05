"""Tests of handout/figures/."""
