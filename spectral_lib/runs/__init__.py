"""Running experiments: compute profiles, presets, the results cache.
"""
