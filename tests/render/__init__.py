"""Tests of handout/render/."""
