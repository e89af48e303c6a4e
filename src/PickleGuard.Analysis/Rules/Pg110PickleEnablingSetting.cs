using PickleGuard.Core;

namespace PickleGuard.Analysis.Rules;

internal static class Pg110PickleEnablingSetting
{
    public static RuleDescriptor Descriptor { get; } = new(
        "PG110",
        "pickle-enabling-setting",
        "Setting makes a framework unpickle what it receives",
        Severity.Medium,
        502,
        "Reports configuration that makes a framework decode with pickle: Django's `SESSION_SERIALIZER` set to "
        + "`PickleSerializer`; celery's `accept_content`, `result_accept_content`, `task_serializer`, "
        + "`result_serializer` and `event_serializer` (and their old `CELERY_` names) given `pickle` or "
        + "`application/x-python-serialize`; kombu's `enable_insecure_serializers()`; Pyramid's `PickleSerializer()`; an "
        + "rpyc `protocol_config` with `\"allow_pickle\": True`; torch's `add_safe_globals([...])` or `safe_globals([...])` given "
        + "a global the pickle policy denies (`os.system`, `eval`), which torch's weights-only unpickler then calls. "
        + "A setting counts wherever its literal value is written: a module or class assignment (a settings module, a "
        + "`celeryconfig`), an attribute (`app.conf.accept_content = [...]`), a keyword argument "
        + "(`app.conf.update(accept_content=[...])`) or a string key (`{\"accept_content\": [...]}`).",
        "The unpickling happens inside the framework, so no call in the project shows it. Celery workers then unpickle "
        + "every message a broker delivers: whoever can publish to the queue (often a Redis or RabbitMQ without "
        + "authentication) runs code on the workers. Django and Pyramid unpickle the session: with signed-cookie "
        + "sessions anyone who learns the secret key, and with server-side sessions anyone who can write to the "
        + "session store, runs code on the server.",
        "```python\n# settings.py\nSESSION_SERIALIZER = \"django.contrib.sessions.serializers.PickleSerializer\"  # PG110\n\n"
        + "# celeryconfig.py\naccept_content = [\"json\", \"pickle\"]  # PG110\n```",
        "Use JSON: Django's default `JSONSerializer`, celery's default `accept_content = [\"json\"]` with "
        + "`task_serializer = \"json\"`, Pyramid's `JSONSerializer`. Pass identifiers or plain data in messages and "
        + "sessions instead of Python objects.",
        [
            "https://cwe.mitre.org/data/definitions/502.html",
            "https://docs.djangoproject.com/en/4.2/topics/http/sessions/#session-serialization",
            "https://docs.celeryq.dev/en/stable/userguide/security.html#serializers",
            "https://docs.celeryq.dev/projects/kombu/en/stable/userguide/serialization.html",
        ]);
}
