import os
import time

# Local times appear on screen; pin the zone so snapshots do not depend on the machine's.
os.environ["TZ"] = "UTC"
time.tzset()
