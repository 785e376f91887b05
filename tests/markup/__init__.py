"""Tests of handout/markup/."""
