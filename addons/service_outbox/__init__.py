# This file is part of the coastal customer service project.
"Outbox: every e-mail and text message queued, sent and retried"
