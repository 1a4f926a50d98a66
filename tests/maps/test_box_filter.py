import pytest

from tests.maps.box_filter_cases import differences, names_in_views, place_records

pytestmark = pytest.mark.django_db


def test_every_layer_s_box_filter_with_point_only_and_boundary_records():
    place_records()
    assert differences(names_in_views()) == []
