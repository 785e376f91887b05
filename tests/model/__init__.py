"""Tests of handout/model/."""
