"""The main screen's parts that need no screen of their own (`ui/screens/batches.py` owns them): its keys and
what each can do now, the cancel and save flows, keeping the index current, the status line, the glance bar
and the web-dashboard link."""
