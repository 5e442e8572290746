"""zhfacts: numeric claims, quantities, times and entities from Chinese text, as a CSV dataset.

Public API: `extract_text`, `extract_corpus`, `load_dataset`, `series`, `find_numbers`.
"""

import warnings

# jieba imports pkg_resources, which setuptools deprecates; the warning is noise for our users.
warnings.filterwarnings("ignore", message="pkg_resources is deprecated", category=UserWarning)

__version__ = "0.1.0"
__all__ = ["extract_corpus", "extract_text", "find_numbers", "load_dataset", "series", "__version__"]


def __getattr__(name: str):
    """Import the API lazily so `import pipeline` (and the CLI's --help) stays fast."""
    if name in ("extract_text", "extract_corpus"):
        from pipeline import extract

        return getattr(extract, name)
    if name == "load_dataset":
        from pipeline.dataset import load_dataset

        return load_dataset
    if name == "find_numbers":
        from pipeline.numbers import find_numbers

        return find_numbers
    if name == "series":
        from pipeline.timeseries import series

        return series
    raise AttributeError(f"module 'pipeline' has no attribute {name!r}")
