"""The store API: the only package with SQL. `from indicators import store` and call `store.<function>`.

One module per table group: catalog (init, catalog tables, batches, demo), measurements (reads for the status
path and the pages), uploads (diff, commit, history, undo), accounts (users, target edits, audit log);
db opens the file and applies migrations/NNNN_name.sql; tx is the one transaction helper.
"""

from indicators.errors import UnknownName  # noqa: F401 (store.UnknownName, for callers)
from indicators.store.accounts import (  # noqa: F401
    apply_target_edits,
    audit,
    audit_frame,
    delete_user,
    edit_target,
    insert_user,
    target_edits_frame,
    target_row,
    update_password,
    user_row,
    users_frame,
)
from indicators.store.batches import UndoResult, batches_frame, history, undo_batch  # noqa: F401
from indicators.store.catalog import (  # noqa: F401
    InitReport,
    catalog_sha,
    cities_frame,
    has_batches,
    has_demo,
    indicator_row,
    init,
    load_catalog,
    new_batch,
    resolve_city,
    targets_frame,
    write_demo,
)
from indicators.store.measurements import (  # noqa: F401
    demo_share,
    latest_months,
    measurements_frame,
    monthly_values,
    plans_frame,
    series_values,
)
from indicators.store.pages_reads import batch_values, reported_by_indicator  # noqa: F401
from indicators.store.uploads import (  # noqa: F401
    CommitResult,
    commit_upload,
    diff_upload,
    name_frames,
)

# isort: split
from indicators.store.additions import (  # noqa: F401
    catalog_names,
    insert_added_city,
    insert_added_indicator,
    insert_review,
    is_published,
    latest_reviews,
    publish_plan,
    published_target,
    review_history,
)
from indicators.store.notes import insert_note, latest_notes, notes_frame  # noqa: F401
from indicators.store.plans import insert_plan, plan_candidates, plan_document, plan_with_sha, plans_list  # noqa: F401

# (appended last, so that branches adding store modules merge line by line)
from indicators.store.sessions import (  # noqa: F401
    add_failure,
    clear_failures,
    data_version,
    delete_account_sessions,
    delete_expired_sessions,
    delete_session,
    failures,
    insert_session,
    load_evaluation,
    save_evaluation,
    session_account,
    sessions_count,
    touch_session,
)
from indicators.store.snapshots import (  # noqa: F401
    Basis,
    basis,
    insert_snapshot,
    revised_values,
    snapshot_meta,
    snapshot_names,
    snapshot_records,
    snapshots_frame,
)
