"""The custom resources the Kubernetes tests and the demo serve from the
fake API server: objects of the dbops, Dynamo and Datum operators shaped as
their CRDs define them, and a generic "widgets" resource."""


DBOPS = "dbops.dbprovision.io"
MILO = "resourcemanager.miloapis.com"
COMPUTE = "compute.datumapis.com"
T1, T2, T3 = "2026-11-20T01:00:00Z", "2026-11-21T01:30:05Z", \
    "2026-11-22T02:00:00Z"
T2_EPOCH, T3_EPOCH = 1795224605.0, 1795312800.0


def obj(name, ns=None, spec=None, status=None, generation=None):
    meta = {"name": name}
    if ns:
        meta["namespace"] = ns
    if generation is not None:
        meta["generation"] = generation
    o = {"metadata": meta, "spec": spec or {}}
    if status is not None:
        o["status"] = status
    return o


def cond(type_, status):
    return {"type": type_, "status": status, "reason": "Test",
            "message": "", "lastTransitionTime": T1}


# --- the objects -----------------------------------------------------------

DBOPS_KINDS = [  # plural, kind, namespaced
    ("databaseinstances", "DatabaseInstance", True),
    ("clusterdatabaseinstances", "ClusterDatabaseInstance", False),
    ("databases", "Database", True),
    ("databaseusers", "DatabaseUser", True),
    ("databaseroles", "DatabaseRole", True),
    ("clusterdatabaseroles", "ClusterDatabaseRole", False),
    ("databasegrants", "DatabaseGrant", True),
    ("clusterdatabasegrants", "ClusterDatabaseGrant", False),
    ("databasebackups", "DatabaseBackup", True),
    ("databasebackupschedules", "DatabaseBackupSchedule", True),
    ("databaserestores", "DatabaseRestore", True),
]

DBOPS_OBJECTS = {
    "databaseinstances": [
        obj("pg-main", "db", {"engine": "postgres", "connection": {
            "host": "pg.db.svc", "port": 5432, "database": "postgres"}},
            {"phase": "Ready", "version": "15.4"}),
        obj("my-new", "db", {"engine": "mysql", "connection": {
            "host": "my.db.svc", "port": 3306}}),
    ],
    "clusterdatabaseinstances": [
        obj("shared", None, {"engine": "postgres", "connection": {
            "host": "shared.infra", "port": 5433}}, {"phase": "Ready"}),
    ],
    "databases": [
        obj("orders", "db", {"instanceRef": {"name": "pg-main"},
                             "name": "orders_db"}, {"phase": "Ready"}),
        obj("billing", "team-a", {"clusterInstanceRef": {"name": "shared"},
                                  "name": "billing"}, {"phase": "Failed"}),
        obj("fresh", "db", {"instanceRef": {"name": "pg-main"},
                            "name": "fresh"}, {"phase": ""}),
    ],
    "databaseusers": [
        obj("app", "db", {"instanceRef": {"name": "pg-main"},
                          "username": "app_user"}),
    ],
    "databaseroles": [
        obj("readers", "db", {"instanceRef": {"name": "pg-main"},
                              "roleName": "readers"}, {"phase": "Ready"}),
    ],
    "clusterdatabaseroles": [
        obj("auditors", None, {"clusterInstanceRef": {"name": "shared"},
                               "roleName": "auditors"}, {"phase": "Ready"}),
    ],
    "databasegrants": [
        obj("app-rw", "db", {
            "userRef": {"name": "app"}, "databaseRef": {"name": "orders"},
            "postgres": {"roles": ["readers"], "grants": [
                {"database": "orders_db", "privileges": ["SELECT", "INSERT"]},
                {"database": "orders_db", "privileges": ["UPDATE"]}],
                "defaultPrivileges": [{"privileges": ["DELETE"]}]}},
            {"phase": "Ready"}),
        obj("role-grant", "db", {"roleRef": {"name": "readers"},
                                 "mysql": {"grants": [
                                     {"privileges": ["SELECT"]}]}},
            {"phase": "Pending"}),
    ],
    "clusterdatabasegrants": [
        obj("cg-user", None, {
            "clusterInstanceRef": {"name": "shared"},
            "userRef": {"name": "app", "namespace": "db"},
            "postgres": {"grants": [{"privileges": ["CONNECT"]}]},
            "clickhouse": {"roles": ["ignored"]}}, {"phase": "Ready"}),
        obj("cg-role", None, {
            "clusterInstanceRef": {"name": "shared"},
            "roleRef": {"name": "auditors"}}, {"phase": "Creating"}),
    ],
    "databasebackups": [
        obj("orders-1", "db", {"databaseRef": {"name": "orders"},
                               "storage": {"type": "s3"}},
            {"phase": "Completed", "completedAt": T1,
             "backup": {"sizeBytes": 1000, "compressedSizeBytes": 400},
             "source": {"database": "orders_db", "engine": "postgres"}}),
        obj("orders-2", "db", {"databaseRef": {"name": "orders"},
                               "storage": {"type": "s3"}},
            {"phase": "Completed", "completedAt": T2,
             "backup": {"sizeBytes": 2000, "compressedSizeBytes": 0},
             "source": {"database": "orders_db", "engine": "postgres"}}),
        obj("orders-3", "db", {"databaseRef": {"name": "orders"},
                               "storage": {"type": "pvc"}},
            {"phase": "Failed"}),
    ],
    "databasebackupschedules": [
        obj("nightly", "db", {"schedule": "0 2 * * *", "template": {
            "spec": {"databaseRef": {"name": "orders"}}}},
            {"phase": "Active", "nextBackupTime": T3}),
        obj("held", "team-a", {"schedule": "@daily", "paused": True,
                               "template": {"spec": {
                                   "databaseRef": {"name": "billing"}}}},
            {"phase": "Paused"}),
    ],
    "databaserestores": [
        obj("r1", "db", {"backupRef": {"name": "orders-1"}, "target": {
            "instanceRef": {"name": "pg-main"}}}, {"phase": "Completed"}),
        obj("r2", "db", {"fromPath": "s3://x", "target": {
            "clusterInstanceRef": {"name": "shared"}}}),
    ],
}

DYNAMO_KINDS = [  # plural, kind, version, deprecated
    ("dynamographdeployments", "DynamoGraphDeployment", "v1alpha1", True),
    ("dynamocomponentdeployments", "DynamoComponentDeployment", "v1alpha1",
     True),
    ("dynamomodels", "DynamoModel", "v1alpha1", False),
    ("dynamographdeploymentrequests", "DynamoGraphDeploymentRequest",
     "v1beta1", False),
    ("dynamographdeploymentscalingadapters",
     "DynamoGraphDeploymentScalingAdapter", "v1alpha1", True),
]

DYNAMO_OBJECTS = {
    "dynamographdeployments": [
        obj("g1", "ai", status={"state": "successful"}),
        obj("g2", "ai", status={"state": "failed"}),
        obj("g3", "ai"),
        obj("g4", "ml", status={"state": "successful"}),
    ],
    "dynamocomponentdeployments": [
        obj("c1", "ai", generation=2, status={
            "observedGeneration": 2, "conditions": [cond("Available",
                                                         "True")]}),
        obj("c2", "ai", generation=3, status={
            "observedGeneration": 2, "conditions": [cond("Available",
                                                         "True")]}),
        obj("c3", "ai", generation=1, status={
            "observedGeneration": 1, "conditions": [cond("Available",
                                                         "False")]}),
    ],
    "dynamomodels": [
        obj("m1", "ai", status={"totalEndpoints": 2, "readyEndpoints": 2}),
        obj("m2", "ai", status={"totalEndpoints": 2, "readyEndpoints": 1,
                                "loraFallbackCoveredEndpoints": 1}),
        obj("m3", "ai", status={"totalEndpoints": 0, "readyEndpoints": 0}),
        obj("m4", "ai", status={"totalEndpoints": 3, "readyEndpoints": 1}),
    ],
    "dynamographdeploymentrequests": [
        obj("q1", "ai", status={"phase": "Deployed"}),
        obj("q2", "ai", status={"phase": "Profiling"}),
    ],
    "dynamographdeploymentscalingadapters": [
        obj("s1", "ai", status={"selector": "app=x", "replicas": 2}),
        obj("s2", "ai", status={"selector": "", "replicas": 1}),
    ],
}

DATUM_KINDS = [  # group, version, plural, kind, namespaced
    (MILO, "v1alpha1", "organizations", "Organization", False),
    (MILO, "v1alpha1", "projects", "Project", False),
    (COMPUTE, "v1alpha", "workloads", "Workload", True),
]

DATUM_OBJECTS = {
    "organizations": [
        obj("acme", None, {"type": "Standard"},
            {"conditions": [cond("Ready", "True")]}),
        obj("globex", None, {"type": "Personal"},
            {"conditions": [cond("Ready", "False")]}),
        obj("initech", None, {"type": "Standard"}),
    ],
    "projects": [
        obj("p1", None, {"ownerRef": {"kind": "Organization",
                                      "name": "acme"}},
            {"conditions": [cond("Ready", "True"),
                            cond("ResourceCleanup", "False")]}),
        obj("p2", None, {}, {"conditions": [cond("Ready", "Unknown")]}),
    ],
    "workloads": [
        obj("web", "proj-a", {}, {"conditions": [cond("Available", "True"),
                                                 cond("Progressing",
                                                      "False")]}),
        obj("batch", "proj-a", {}, {"conditions": [cond("Available",
                                                        "False")]}),
    ],
}


def widget(name, ns, color, phase, size, updated=T1):
    return obj(name, ns, {"color": color, "size": size},
               {"phase": phase, "lastUpdated": updated})


WIDGETS = [widget("w1", "shop", "red", "Ready", 3),
           widget("w2", "shop", "blue", "Ready", 5.5),
           widget("w3", "shop", "red", "Failed", 1),
           widget("w4", "lab", "green", "Ready", 8, T2),
           widget("w5", "lab", "red", "Pending", 2)]


def load_objects(api):
    """Defines every resource of the three presets and widgets, with the
    objects above."""
    for plural, kind, namespaced in DBOPS_KINDS:
        api.define(DBOPS, "v1alpha1", plural, kind, namespaced)
        for o in DBOPS_OBJECTS[plural]:
            api.put(plural, o)
    for plural, kind, version, deprecated in DYNAMO_KINDS:
        api.define("nvidia.com", version, plural, kind, True, deprecated)
        for o in DYNAMO_OBJECTS[plural]:
            api.put(plural, o)
    for group, version, plural, kind, namespaced in DATUM_KINDS:
        api.define(group, version, plural, kind, namespaced)
        for o in DATUM_OBJECTS[plural]:
            api.put(plural, o)
    for plural in ("widgets", "slowa", "slowb"):
        api.define("example.com", "v1", plural, "Widget")
        for o in WIDGETS:
            api.put(plural, o)
    for plural in ("slowa", "slowb"):
        api.fault(plural, {"delay": 0.6})


def namespaces():
    """Every namespace the objects above live in, sorted."""
    out = set()
    for table in (DBOPS_OBJECTS, DYNAMO_OBJECTS, DATUM_OBJECTS,
                  {"widgets": WIDGETS}):
        for objects in table.values():
            out.update(o["metadata"].get("namespace") for o in objects)
    return sorted(n for n in out if n)
