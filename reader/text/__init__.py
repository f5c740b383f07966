"""Segmentation, units and offsets, pinyin and the spoken form (no Textual here)."""
