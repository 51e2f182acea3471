"""How people and programs reach the assistant: CLI, chat UI, HTTP API, exports."""
