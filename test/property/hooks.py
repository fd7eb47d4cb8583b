"""Schemathesis hooks for the property layer (loaded through SCHEMATHESIS_HOOKS by contract.test.ts).

Bearer tokens come from here rather than from `-H`, for one reason: schemathesis reuses ids it saw in
answers, so sooner or later it sends `DELETE /v1/users/{id}` with the caller's own id, and every
request after that would be a 401 that tests nothing. On a 401 schemathesis drops the cached token,
calls `get` again and replays the request once; `get` then answers a new user's token.
"""

import os
import uuid

import requests
import schemathesis

BASE_URL = os.environ["PORTICO_URL"]
# Only operations that change no existing user get the admin token, so no generated request can
# delete, demote or lock out the administrator (PUT, PATCH and DELETE by id run as a user). getUser
# is one of them so that any user just created (registered, or by an admin) can be read back.
ADMIN_OPERATIONS = ["listUsers", "createUser", "getUser"]


def bearer(case, token):
    case.headers = case.headers or {}
    case.headers["Authorization"] = f"Bearer {token}"


@schemathesis.auth(refresh_interval=3600).apply_to(operation_id=ADMIN_OPERATIONS)
class AdminToken:
    def get(self, case, context):
        return os.environ["PORTICO_ADMIN_TOKEN"]

    def set(self, case, data, context):
        bearer(case, data)


@schemathesis.auth(refresh_interval=3600).skip_for(operation_id=ADMIN_OPERATIONS)
class UserToken:
    """The suite's user first; after that token stopped working, a freshly registered user."""

    first = os.environ["PORTICO_USER_TOKEN"]

    def get(self, case, context):
        if UserToken.first:
            token, UserToken.first = UserToken.first, None
            return token
        email, password = f"property-{uuid.uuid4().hex}@example.com", uuid.uuid4().hex
        account = {"email": email, "password": password, "name": "Property"}
        requests.post(f"{BASE_URL}/v1/auth/register", json=account, timeout=10).raise_for_status()
        answer = requests.post(f"{BASE_URL}/v1/auth/login", json={"email": email, "password": password}, timeout=10)
        answer.raise_for_status()
        return answer.json()["accessToken"]

    def set(self, case, data, context):
        bearer(case, data)
