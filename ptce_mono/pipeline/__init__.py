"""Running the plan: inputs and staleness, papermill in warm kernels, build, status,
live preview, review export, withdrawals.
"""
