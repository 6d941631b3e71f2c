"""Activity Viewer: a desktop viewer for pathway logs and activity logs."""

__version__ = "0.1.0"
APP_NAME = "Activity Viewer"
ORG_NAME = "ActivityViewer"
USER_AGENT = f"ActivityViewer/{__version__}"
