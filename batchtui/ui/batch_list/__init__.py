"""The main screen's plain parts (`ui/screens/batches.py`): its keys and what each can do now, the
cancel and save flows, the web-dashboard link, the status line and the at-a-glance texts."""
