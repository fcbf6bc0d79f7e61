"""The traffic demo loads once, with a cross-border hit to look at."""

from scape.directory.demo import demo_loader as directory_demo
from scape.traffic.demo import demo_loader
from scape.traffic.models import Hit, HotlistEntry, SpeedSection, TrafficCamera


def test_it_loads_cameras_a_shared_hot_list_and_a_hit_once(db):
    directory_demo()
    created, lines = demo_loader()
    assert created > 0 and lines
    assert TrafficCamera.objects.count() == 5 and HotlistEntry.objects.count() == 3
    hit = Hit.objects.get(read__plate="KR1234")
    assert hit.entry.organization.code == "liepaja-mp"
    assert hit.read.camera.organization.code == "palanga"
    assert SpeedSection.objects.count() == 1
    assert demo_loader() == (0, [])
    assert TrafficCamera.objects.count() == 5
