"""coopkg: the Hà Nội–Lào Cai 2017 cooperation knowledge graph and its command-line tool.

The version is a constant (not read through importlib.metadata) so that start-up stays fast.
"""

__version__ = "0.1.0"
