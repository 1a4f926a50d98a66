"""The real NEASPEC dataset as a test fixture: pages must render with the data readers see."""

import pytest

from dataset.services import dataset_load_neaspec


@pytest.fixture
def neaspec_dataset(db):
    return dataset_load_neaspec()
