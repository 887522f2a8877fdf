"""The trained, explainable check-worthiness scorer (see model.py and features.py)."""
