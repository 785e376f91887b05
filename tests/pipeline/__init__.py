"""Tests of handout/pipeline/."""
