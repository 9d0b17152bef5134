import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import settings

import graphstore as gs

settings.register_profile("ci", max_examples=200, deadline=None, derandomize=True)
settings.register_profile("dev", max_examples=50, deadline=None)
settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace):
    doctest_namespace.update(np=np, sp=sp, nx=nx, gs=gs)
