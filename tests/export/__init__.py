"""Tests of handout/export/."""
