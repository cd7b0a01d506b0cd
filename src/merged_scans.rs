//! Merged index scans: "the newest rows among these keys" without reading every row of every key.
//!
//! Row Level Security turns a participant's "newest 50 messages I can see" into
//! `select … from session_messages where session_id = any($my_sessions) order by "timestamp" desc
//! limit 50`. Postgres 15 answers that by reading every message of every one of the caller's
//! sessions (a bitmap scan of `(session_id, "timestamp")`) and sorting them, because a btree scan
//! with `= any(…)` on its first column does not return rows in the order of its second column.
//! Yet each key's rows *are* in order inside the index; merging one ordered scan per key yields
//! the newest rows first, and the LIMIT stops after about 50 heap fetches, as for the service role
//! reading the timestamp index without a policy.
//!
//! This module offers that plan to the planner, which takes it only when its cost says so:
//!
//! * `set_rel_pathlist` (a planner hook) adds a custom path for a plain table when a btree index
//!   `(a, b, …)` has `a = any(<no column of this table, not volatile>)` among the table's
//!   conditions and the query wants `b`'s order (ascending or descending, with the default null
//!   order). Only `select` without row locks and without system columns: the rows come out of a
//!   virtual slot.
//! * The executor node opens one index scan per distinct key, keeps each scan's next row in a
//!   binary heap ordered by `b`, and returns the top. Every condition of the table (the policy's,
//!   the query's) is still checked on each row by the node's qual, in the planner's order.
//! * More than [`MAX_STREAMS`] keys at run time: one scan after another into a sort instead (what
//!   the plain plan does), so memory stays bounded (a btree scan keeps ~27 kB of state).
//!
//! The hook is installed when the library is loaded: in a backend that has not yet called any
//! pg_convo function, the first plan is Postgres' own (see the README, "A participant's newest
//! messages across all their sessions").
//! `set pg_convo.merged_index_scans = off` turns it off.

use pgrx::pg_sys;
use pgrx::pg_sys::{Datum, List, Node, Oid};
use pgrx::prelude::*;
use pgrx::{GucContext, GucFlags, GucRegistry, GucSetting};
use std::ffi::{c_char, c_int, c_void, CStr};
use std::ptr::{self, addr_of, addr_of_mut};

/// `pg_convo.merged_index_scans`: offer the merged plan (default on).
pub static ENABLED: GucSetting<bool> = GucSetting::<bool>::new(true);

/// Above this many keys the node sorts instead of merging (open btree scans cost memory).
pub const MAX_STREAMS: usize = 64;

const NAME: &CStr = c"pg_convo merged index scans";
/// btree support function 1: the three-way comparison.
const BTORDER_PROC: u16 = 1;

static mut PREV_HOOK: pg_sys::set_rel_pathlist_hook_type = None;

static mut PATH_METHODS: pg_sys::CustomPathMethods = pg_sys::CustomPathMethods {
    CustomName: NAME.as_ptr(),
    PlanCustomPath: Some(plan_custom_path),
    ReparameterizeCustomPathByChild: None,
};

static mut SCAN_METHODS: pg_sys::CustomScanMethods = pg_sys::CustomScanMethods {
    CustomName: NAME.as_ptr(),
    CreateCustomScanState: Some(create_scan_state),
};

static mut EXEC_METHODS: pg_sys::CustomExecMethods = pg_sys::CustomExecMethods {
    CustomName: NAME.as_ptr(),
    BeginCustomScan: Some(begin_scan),
    ExecCustomScan: Some(exec_scan),
    EndCustomScan: Some(end_scan),
    ReScanCustomScan: Some(rescan),
    MarkPosCustomScan: None,
    RestrPosCustomScan: None,
    EstimateDSMCustomScan: None,
    InitializeDSMCustomScan: None,
    ReInitializeDSMCustomScan: None,
    InitializeWorkerCustomScan: None,
    ShutdownCustomScan: None,
    ExplainCustomScan: Some(explain_scan),
};

/// Called once from `_PG_init`.
pub fn init() {
    GucRegistry::define_bool_guc(
        c"pg_convo.merged_index_scans",
        c"Lets the planner merge one ordered index scan per key of `col = any(array)`.",
        c"For ORDER BY <second index column> LIMIT n under a policy like session_id = any(my sessions): reads about n rows instead of all rows of all keys.",
        &ENABLED,
        GucContext::Userset,
        GucFlags::default(),
    );
    unsafe {
        pg_sys::RegisterCustomScanMethods(addr_of!(SCAN_METHODS));
        PREV_HOOK = pg_sys::set_rel_pathlist_hook;
        pg_sys::set_rel_pathlist_hook = Some(set_rel_pathlist);
        // Plans this backend cached before the library was loaded (prepared statements:
        // PostgREST's, pgbench's, PL/pgSQL's) were made without the hook: plan them again on
        // their next use, as after any catalog change. The statement running now keeps its plan.
        pg_sys::ResetPlanCache();
    }
}

// --- the plan's integers (pgrx::is_a, pg_sys::list_length and list_nth for the rest) ----------------

unsafe fn make_int_list(values: &[i64]) -> *mut List {
    let mut list: *mut List = ptr::null_mut();
    for &v in values {
        list = pg_sys::lappend(list, pg_sys::makeInteger(v as c_int) as *mut c_void);
    }
    list
}

unsafe fn int_at(list: *mut List, i: c_int) -> i64 {
    (*(pg_sys::list_nth(list, i) as *mut pg_sys::Integer)).ival as i64
}

// --- planning ------------------------------------------------------------------------------------

/// What the executor needs, kept in the plan's `custom_private` as integers (in this order).
#[derive(Clone, Copy)]
struct Spec {
    index: Oid,
    backward: bool,
    /// the `= any` operator and its collation (the scan key of each stream)
    key_op: Oid,
    key_collation: Oid,
    /// the table column holding the index's second column, its order operator and collation
    sort_attno: i16,
    sort_op: Oid,
    sort_collation: Oid,
    /// the order the node returns: descending (then nulls first) or ascending (nulls last)
    descending: bool,
}

impl Spec {
    unsafe fn to_list(self) -> *mut List {
        make_int_list(&[
            u32::from(self.index) as i64,
            self.backward as i64,
            u32::from(self.key_op) as i64,
            u32::from(self.key_collation) as i64,
            self.sort_attno as i64,
            u32::from(self.sort_op) as i64,
            u32::from(self.sort_collation) as i64,
            self.descending as i64,
        ])
    }

    unsafe fn from_list(list: *mut List) -> Spec {
        let oid = |i| Oid::from(int_at(list, i) as u32);
        Spec {
            index: oid(0),
            backward: int_at(list, 1) != 0,
            key_op: oid(2),
            key_collation: oid(3),
            sort_attno: int_at(list, 4) as i16,
            sort_op: oid(5),
            sort_collation: oid(6),
            descending: int_at(list, 7) != 0,
        }
    }
}

#[pg_guard]
unsafe extern "C-unwind" fn set_rel_pathlist(
    root: *mut pg_sys::PlannerInfo,
    rel: *mut pg_sys::RelOptInfo,
    rti: pg_sys::Index,
    rte: *mut pg_sys::RangeTblEntry,
) {
    if let Some(prev) = PREV_HOOK {
        prev(root, rel, rti, rte);
    }
    if ENABLED.get() {
        add_merged_paths(root, rel, rte);
    }
}

/// Does the table's part of the query need a system column (ctid, xmin …) or a whole-row value?
/// The node's rows live in a virtual slot, which has neither.
unsafe fn needs_system_columns(rel: *mut pg_sys::RelOptInfo) -> bool {
    let r = &*rel;
    for attno in r.min_attr..=0 {
        if !(*r.attr_needed.add((attno - r.min_attr) as usize)).is_null() {
            return true;
        }
    }
    let mut attnos: *mut pg_sys::Bitmapset = ptr::null_mut();
    for i in 0..pg_sys::list_length(r.baserestrictinfo) {
        let rinfo = pg_sys::list_nth(r.baserestrictinfo, i) as *mut pg_sys::RestrictInfo;
        pg_sys::pull_varattnos((*rinfo).clause as *mut Node, r.relid, &mut attnos);
    }
    let first = pg_sys::bms_next_member(attnos, -1);
    first >= 0 && first + pg_sys::FirstLowInvalidHeapAttributeNumber <= 0
}

/// The array side of `indexed_column = any(array)` if `clause` is such a condition usable as the
/// index's first column key, with the operator checked against the index's operator family.
unsafe fn array_key_of(
    clause: *mut pg_sys::Expr,
    rel: *mut pg_sys::RelOptInfo,
    index: *mut pg_sys::IndexOptInfo,
) -> Option<*mut Node> {
    if !pgrx::is_a(clause as *mut Node, pg_sys::NodeTag::T_ScalarArrayOpExpr) {
        return None;
    }
    let saop = clause as *mut pg_sys::ScalarArrayOpExpr;
    if !(*saop).useOr || pg_sys::list_length((*saop).args) != 2 {
        return None;
    }
    let column = pg_sys::list_nth((*saop).args, 0) as *mut pg_sys::Var;
    let array = pg_sys::list_nth((*saop).args, 1) as *mut Node;
    let idx = &*index;
    if !pgrx::is_a(column as *mut Node, pg_sys::NodeTag::T_Var)
        || (*column).varno as pg_sys::Index != (*rel).relid
        || (*column).varlevelsup != 0
        || (*column).varattno as c_int != *idx.indexkeys
    {
        return None;
    }
    if pg_sys::contain_var_clause(array) || pg_sys::contain_volatile_functions(array) {
        return None;
    }
    // (get_op_opfamily_properties raises an error for an operator outside the family)
    if pg_sys::get_op_opfamily_strategy((*saop).opno, *idx.opfamily) == 0 {
        return None;
    }
    let (mut strategy, mut left, mut right) = (0, Oid::INVALID, Oid::INVALID);
    pg_sys::get_op_opfamily_properties(
        (*saop).opno,
        *idx.opfamily,
        false,
        &mut strategy,
        &mut left,
        &mut right,
    );
    let key_type = *idx.opcintype;
    if strategy != pg_sys::BTEqualStrategyNumber as c_int
        || left != key_type
        || right != key_type
        || pg_sys::get_element_type(pg_sys::exprType(array)) != key_type
    {
        return None;
    }
    let collation = *idx.indexcollations;
    if collation != Oid::INVALID && (*saop).inputcollid != collation {
        return None;
    }
    Some(array)
}

unsafe fn add_merged_paths(
    root: *mut pg_sys::PlannerInfo,
    rel: *mut pg_sys::RelOptInfo,
    rte: *mut pg_sys::RangeTblEntry,
) {
    let parse = (*root).parse;
    if (*rte).rtekind != pg_sys::RTEKind::RTE_RELATION
        || (*rte).relkind != pg_sys::RELKIND_RELATION as c_char
        || (*rte).inh
        || (*rel).reloptkind != pg_sys::RelOptKind::RELOPT_BASEREL
        || (*parse).commandType != pg_sys::CmdType::CMD_SELECT
        || !(*parse).rowMarks.is_null()
        || (*root).query_pathkeys.is_null()
        || (*rel).baserestrictinfo.is_null()
    {
        return;
    }
    // asked once, and only of a table that has a candidate (every query is planned through here)
    let mut system_columns: Option<bool> = None;
    let wanted = pg_sys::list_nth((*root).query_pathkeys, 0) as *mut pg_sys::PathKey;

    for i in 0..pg_sys::list_length((*rel).indexlist) {
        let index = pg_sys::list_nth((*rel).indexlist, i) as *mut pg_sys::IndexOptInfo;
        let idx = &*index;
        if idx.relam != pg_sys::BTREE_AM_OID
            || idx.nkeycolumns < 2
            || !idx.indpred.is_null()
            || idx.hypothetical
            || !idx.amhasgettuple
            || *idx.indexkeys == 0
            || *idx.indexkeys.add(1) == 0
            // build_expression_pathkey knows only the default null order of each direction
            || *idx.reverse_sort.add(1) != *idx.nulls_first.add(1)
        {
            continue;
        }
        let sort_expr = (*(pg_sys::list_nth(idx.indextlist, 1) as *mut pg_sys::TargetEntry)).expr;
        let sort_collation = *idx.indexcollations.add(1);
        if pg_sys::exprCollation(sort_expr as *mut Node) != sort_collation {
            continue;
        }
        for j in 0..pg_sys::list_length((*rel).baserestrictinfo) {
            let rinfo = pg_sys::list_nth((*rel).baserestrictinfo, j) as *mut pg_sys::RestrictInfo;
            // A key is applied to rows before the other conditions: under RLS a query's own
            // condition may be one only if its operator is leakproof (as for an index qual).
            if !pg_sys::restriction_is_securely_promotable(rinfo, rel) {
                continue;
            }
            let Some(array) = array_key_of((*rinfo).clause, rel, index) else {
                continue;
            };
            let keys = pg_sys::estimate_array_length(array).max(1) as usize;
            if keys > MAX_STREAMS {
                continue;
            }
            for backward in [false, true] {
                let descending = *idx.reverse_sort.add(1) != backward;
                let strategy = if descending {
                    pg_sys::BTGreaterStrategyNumber
                } else {
                    pg_sys::BTLessStrategyNumber
                };
                let sort_type = *idx.opcintype.add(1);
                let sort_op = pg_sys::get_opfamily_member(
                    *idx.opfamily.add(1),
                    sort_type,
                    sort_type,
                    strategy as i16,
                );
                if sort_op == Oid::INVALID {
                    continue;
                }
                let pathkeys = pg_sys::build_expression_pathkey(
                    root,
                    sort_expr,
                    ptr::null_mut(),
                    sort_op,
                    (*rel).relids,
                    false,
                );
                if pg_sys::list_length(pathkeys) != 1
                    || pg_sys::list_nth(pathkeys, 0) as *mut pg_sys::PathKey != wanted
                {
                    continue;
                }
                if *system_columns.get_or_insert_with(|| unsafe { needs_system_columns(rel) }) {
                    return;
                }
                let saop = (*rinfo).clause as *mut pg_sys::ScalarArrayOpExpr;
                let spec = Spec {
                    index: idx.indexoid,
                    backward,
                    key_op: (*saop).opno,
                    key_collation: (*saop).inputcollid,
                    sort_attno: *idx.indexkeys.add(1) as i16,
                    sort_op,
                    sort_collation,
                    descending,
                };
                add_path(root, rel, rinfo, index, keys, spec, array, pathkeys);
            }
        }
    }
}

/// Costs in the planner's units. Startup: one descent and one heap fetch per key. Then each row
/// a random heap fetch (as an uncorrelated index scan is costed), its conditions and a heap step.
/// Under a LIMIT the planner charges only the fraction of the run it needs, which is the point.
#[allow(clippy::too_many_arguments)]
unsafe fn add_path(
    root: *mut pg_sys::PlannerInfo,
    rel: *mut pg_sys::RelOptInfo,
    rinfo: *mut pg_sys::RestrictInfo,
    index: *mut pg_sys::IndexOptInfo,
    keys: usize,
    spec: Spec,
    array: *mut Node,
    pathkeys: *mut List,
) {
    let r = &*rel;
    let selectivity = pg_sys::clause_selectivity(
        root,
        rinfo as *mut Node,
        0,
        pg_sys::JoinType::JOIN_INNER,
        ptr::null_mut(),
    );
    let fetched = pg_sys::clamp_row_est(r.tuples * selectivity);
    let keys = keys as f64;
    let descent = ((*index).tree_height.max(1) as f64 + 1.0) * pg_sys::random_page_cost
        + ((*index).tuples.max(2.0).log2() + 50.0) * pg_sys::cpu_operator_cost;
    let per_row = pg_sys::random_page_cost
        + pg_sys::cpu_tuple_cost
        + pg_sys::cpu_index_tuple_cost
        + r.baserestrictcost.per_tuple
        + (keys + 1.0).log2() * pg_sys::cpu_operator_cost;
    let startup = r.baserestrictcost.startup + keys * (descent + per_row);
    let total = startup + (fetched - keys).max(0.0) * per_row;

    let path =
        pg_sys::palloc0(std::mem::size_of::<pg_sys::CustomPath>()) as *mut pg_sys::CustomPath;
    let p = &mut (*path).path;
    p.type_ = pg_sys::NodeTag::T_CustomPath;
    p.pathtype = pg_sys::NodeTag::T_CustomScan;
    p.parent = rel;
    p.pathtarget = r.reltarget;
    p.param_info = ptr::null_mut();
    p.parallel_aware = false;
    p.parallel_safe = false;
    p.parallel_workers = 0;
    p.rows = r.rows;
    p.startup_cost = startup;
    p.total_cost = total;
    p.pathkeys = pathkeys;
    (*path).flags = 0;
    (*path).custom_paths = ptr::null_mut();
    (*path).custom_private = pg_sys::lappend(spec.to_list(), array as *mut c_void);
    (*path).methods = addr_of!(PATH_METHODS);
    pg_sys::add_path(rel, path as *mut pg_sys::Path);
}

#[pg_guard]
unsafe extern "C-unwind" fn plan_custom_path(
    _root: *mut pg_sys::PlannerInfo,
    rel: *mut pg_sys::RelOptInfo,
    best_path: *mut pg_sys::CustomPath,
    tlist: *mut List,
    clauses: *mut List,
    _custom_plans: *mut List,
) -> *mut pg_sys::Plan {
    let private = (*best_path).custom_private;
    let last = pg_sys::list_length(private) - 1;
    let spec = Spec::from_list(private);
    let array = pg_sys::list_nth(private, last);

    let scan =
        pg_sys::palloc0(std::mem::size_of::<pg_sys::CustomScan>()) as *mut pg_sys::CustomScan;
    (*scan).scan.plan.type_ = pg_sys::NodeTag::T_CustomScan;
    (*scan).scan.plan.targetlist = tlist;
    // Every condition stays a qual, in the planner's order (security quals first).
    (*scan).scan.plan.qual = pg_sys::extract_actual_clauses(clauses, false);
    (*scan).scan.scanrelid = (*rel).relid;
    (*scan).flags = (*best_path).flags;
    // The array goes through setrefs (its initPlan or outer Params) as a custom expression.
    (*scan).custom_exprs = pg_sys::lappend(ptr::null_mut(), array);
    (*scan).custom_private = spec.to_list();
    (*scan).methods = addr_of!(SCAN_METHODS);
    scan as *mut pg_sys::Plan
}

// --- execution -----------------------------------------------------------------------------------

/// One key's ordered index scan and the row it would return next.
#[repr(C)]
struct Stream {
    scan: pg_sys::IndexScanDesc,
    slot: *mut pg_sys::TupleTableSlot,
    head: Datum,
    head_is_null: bool,
}

/// The node's state; `css` first, as Postgres requires. Everything that lives across calls is
/// palloc'd (in `run_cxt`, reset at each rescan), so an error leaves nothing behind.
#[repr(C)]
struct MergedScanState {
    css: pg_sys::CustomScanState,
    spec: Spec,
    index: pg_sys::Relation,
    array: *mut pg_sys::ExprState,
    run_cxt: pg_sys::MemoryContext,
    key_compare: *mut pg_sys::FmgrInfo,
    sort_compare: *mut pg_sys::FmgrInfo,
    started: bool,
    /// keys of the last run (EXPLAIN ANALYZE shows them)
    keys: usize,
    streams: *mut Stream,
    stream_count: usize,
    /// binary heap of stream numbers, the next row to return on top
    heap: *mut usize,
    heap_len: usize,
    /// more keys than MAX_STREAMS: the rows sorted instead
    sort: *mut pg_sys::Tuplesortstate,
    /// the sort's rows come out as minimal tuples, the node's slot is virtual
    sort_slot: *mut pg_sys::TupleTableSlot,
}

#[pg_guard]
unsafe extern "C-unwind" fn create_scan_state(scan: *mut pg_sys::CustomScan) -> *mut Node {
    let state = pg_sys::palloc0(std::mem::size_of::<MergedScanState>()) as *mut MergedScanState;
    (*state).css.ss.ps.type_ = pg_sys::NodeTag::T_CustomScanState;
    (*state).css.methods = addr_of!(EXEC_METHODS);
    (*state).spec = Spec::from_list((*scan).custom_private);
    state as *mut Node
}

#[pg_guard]
unsafe extern "C-unwind" fn begin_scan(
    node: *mut pg_sys::CustomScanState,
    _estate: *mut pg_sys::EState,
    _eflags: c_int,
) {
    let state = node as *mut MergedScanState;
    let s = &mut *state;
    let plan = s.css.ss.ps.plan as *mut pg_sys::CustomScan;
    s.index = pg_sys::index_open(s.spec.index, pg_sys::AccessShareLock as pg_sys::LOCKMODE);
    s.array = pg_sys::ExecInitExpr(
        pg_sys::list_nth((*plan).custom_exprs, 0) as *mut pg_sys::Expr,
        addr_of_mut!(s.css.ss.ps),
    );
    s.run_cxt = pg_sys::AllocSetContextCreateInternal(
        pg_sys::CurrentMemoryContext,
        NAME.as_ptr(),
        0,
        8 * 1024,
        8 * 1024 * 1024,
    );
    s.key_compare = pg_sys::index_getprocinfo(s.index, 1, BTORDER_PROC);
    s.sort_compare = pg_sys::index_getprocinfo(s.index, 2, BTORDER_PROC);
}

unsafe fn compare_datums(f: *mut pg_sys::FmgrInfo, collation: Oid, a: Datum, b: Datum) -> i32 {
    pg_sys::FunctionCall2Coll(f, collation, a, b).value() as i32
}

/// The node's order between two streams' next rows: `b` descending with nulls first, or
/// ascending with nulls last (the pathkey the planner was promised).
unsafe fn stream_order(s: &MergedScanState, a: usize, b: usize) -> std::cmp::Ordering {
    use std::cmp::Ordering::*;
    let (x, y) = (&*s.streams.add(a), &*s.streams.add(b));
    // ascending with nulls last; descending is its reverse (nulls first)
    let ord = match (x.head_is_null, y.head_is_null) {
        (true, true) => Equal,
        (true, false) => Greater,
        (false, true) => Less,
        (false, false) => {
            compare_datums(s.sort_compare, s.spec.sort_collation, x.head, y.head).cmp(&0)
        }
    };
    if s.spec.descending {
        ord.reverse()
    } else {
        ord
    }
}

unsafe fn sift_down(s: &mut MergedScanState, mut at: usize) {
    loop {
        let (l, r) = (2 * at + 1, 2 * at + 2);
        let mut best = at;
        for c in [l, r] {
            if c < s.heap_len
                && stream_order(s, *s.heap.add(c), *s.heap.add(best)) == std::cmp::Ordering::Less
            {
                best = c;
            }
        }
        if best == at {
            return;
        }
        ptr::swap(s.heap.add(at), s.heap.add(best));
        at = best;
    }
}

/// Fetches a stream's next row; false when the key has no more.
unsafe fn advance(s: &MergedScanState, stream: *mut Stream) -> bool {
    let dir = if s.spec.backward {
        pg_sys::ScanDirection::BackwardScanDirection
    } else {
        pg_sys::ScanDirection::ForwardScanDirection
    };
    if !pg_sys::index_getnext_slot((*stream).scan, dir, (*stream).slot) {
        return false;
    }
    (*stream).head = pg_sys::slot_getattr(
        (*stream).slot,
        s.spec.sort_attno as c_int,
        &mut (*stream).head_is_null,
    );
    true
}

/// The distinct non-null keys of the array, in the index's order.
unsafe fn distinct_keys(s: &mut MergedScanState) -> Vec<Datum> {
    let econtext = s.css.ss.ps.ps_ExprContext;
    let mut is_null = false;
    let value = pg_sys::ExecEvalExpr(s.array, econtext, &mut is_null);
    if is_null {
        return Vec::new();
    }
    let array = pg_sys::pg_detoast_datum(value.cast_mut_ptr()) as *mut pg_sys::ArrayType;
    let element_type = (*array).elemtype;
    let (mut len, mut by_value, mut align) = (0i16, false, 0 as c_char);
    pg_sys::get_typlenbyvalalign(element_type, &mut len, &mut by_value, &mut align);
    let (mut elements, mut nulls, mut count) = (ptr::null_mut(), ptr::null_mut(), 0);
    pg_sys::deconstruct_array(
        array,
        element_type,
        len as c_int,
        by_value,
        align,
        &mut elements,
        &mut nulls,
        &mut count,
    );
    let mut keys: Vec<Datum> = (0..count as usize)
        .filter(|&i| !*nulls.add(i))
        .map(|i| *elements.add(i))
        .collect();
    let (f, c) = (s.key_compare, s.spec.key_collation);
    keys.sort_by(|&a, &b| compare_datums(f, c, a, b).cmp(&0));
    keys.dedup_by(|a, b| compare_datums(f, c, *a, *b) == 0);
    keys
}

unsafe fn open_scan(s: &MergedScanState) -> pg_sys::IndexScanDesc {
    let estate = s.css.ss.ps.state;
    pg_sys::index_beginscan(
        s.css.ss.ss_currentRelation,
        s.index,
        (*estate).es_snapshot,
        1,
        0,
    )
}

unsafe fn set_key(s: &MergedScanState, scan: pg_sys::IndexScanDesc, key: Datum) {
    let mut scankey = pg_sys::ScanKeyData::default();
    pg_sys::ScanKeyEntryInitialize(
        &mut scankey,
        0,
        1,
        pg_sys::BTEqualStrategyNumber as u16,
        Oid::INVALID,
        s.spec.key_collation,
        pg_sys::get_opcode(s.spec.key_op),
        key,
    );
    pg_sys::index_rescan(scan, &mut scankey, 1, ptr::null_mut(), 0);
}

/// First call after begin or rescan: evaluate the array, open the streams (or fill the sort).
unsafe fn start(s: &mut MergedScanState) {
    let old = pg_sys::MemoryContextSwitchTo(s.run_cxt);
    let keys = distinct_keys(s);
    s.keys = keys.len();
    let heap_rel = s.css.ss.ss_currentRelation;
    if keys.len() > MAX_STREAMS {
        // One key after another through a single scan, every row into a sort.
        let mut attno = s.spec.sort_attno;
        let mut op = s.spec.sort_op;
        let mut collation = s.spec.sort_collation;
        let mut nulls_first = s.spec.descending;
        s.sort = pg_sys::tuplesort_begin_heap(
            (*heap_rel).rd_att,
            1,
            &mut attno,
            &mut op,
            &mut collation,
            &mut nulls_first,
            pg_sys::work_mem,
            ptr::null_mut(),
            0,
        );
        let scan = open_scan(s);
        let slot = pg_sys::table_slot_create(heap_rel, ptr::null_mut());
        for &key in &keys {
            set_key(s, scan, key);
            while pg_sys::index_getnext_slot(
                scan,
                pg_sys::ScanDirection::ForwardScanDirection,
                slot,
            ) {
                pg_sys::tuplesort_puttupleslot(s.sort, slot);
            }
        }
        pg_sys::index_endscan(scan);
        pg_sys::ExecDropSingleTupleTableSlot(slot);
        pg_sys::tuplesort_performsort(s.sort);
        s.sort_slot = pg_sys::MakeSingleTupleTableSlot(
            (*heap_rel).rd_att,
            addr_of!(pg_sys::TTSOpsMinimalTuple),
        );
    } else {
        s.streams =
            pg_sys::palloc0(keys.len().max(1) * std::mem::size_of::<Stream>()) as *mut Stream;
        s.heap = pg_sys::palloc0(keys.len().max(1) * std::mem::size_of::<usize>()) as *mut usize;
        for &key in &keys {
            let stream = s.streams.add(s.stream_count);
            (*stream).scan = open_scan(s);
            (*stream).slot = pg_sys::table_slot_create(heap_rel, ptr::null_mut());
            s.stream_count += 1;
            set_key(s, (*stream).scan, key);
            if advance(s, stream) {
                *s.heap.add(s.heap_len) = s.stream_count - 1;
                s.heap_len += 1;
            }
        }
        for at in (0..s.heap_len / 2).rev() {
            sift_down(s, at);
        }
    }
    pg_sys::MemoryContextSwitchTo(old);
    s.started = true;
}

/// Closes what `start` opened and forgets the run.
unsafe fn stop(s: &mut MergedScanState) {
    for i in 0..s.stream_count {
        let stream = &*s.streams.add(i);
        pg_sys::index_endscan(stream.scan);
        pg_sys::ExecDropSingleTupleTableSlot(stream.slot);
    }
    if !s.sort.is_null() {
        pg_sys::tuplesort_end(s.sort);
    }
    if !s.sort_slot.is_null() {
        pg_sys::ExecDropSingleTupleTableSlot(s.sort_slot);
    }
    s.streams = ptr::null_mut();
    s.stream_count = 0;
    s.heap = ptr::null_mut();
    s.heap_len = 0;
    s.sort = ptr::null_mut();
    s.sort_slot = ptr::null_mut();
    s.started = false;
    if !s.run_cxt.is_null() {
        pg_sys::MemoryContextReset(s.run_cxt);
    }
}

#[pg_guard]
unsafe extern "C-unwind" fn next_row(node: *mut pg_sys::ScanState) -> *mut pg_sys::TupleTableSlot {
    let s = &mut *(node as *mut MergedScanState);
    if !s.started {
        start(s);
    }
    let out = s.css.ss.ss_ScanTupleSlot;
    if !s.sort.is_null() {
        // sorted by sort_op, which already carries the direction: read it forward
        if !pg_sys::tuplesort_gettupleslot(s.sort, true, false, s.sort_slot, ptr::null_mut()) {
            return pg_sys::ExecClearTuple(out);
        }
        pg_sys::ExecCopySlot(out, s.sort_slot);
        return out;
    }
    if s.heap_len == 0 {
        return pg_sys::ExecClearTuple(out);
    }
    let top = *s.heap;
    let stream = s.streams.add(top);
    pg_sys::ExecCopySlot(out, (*stream).slot);
    (*out).tts_tableOid = (*s.css.ss.ss_currentRelation).rd_id;
    if !advance(s, stream) {
        s.heap_len -= 1;
        *s.heap = *s.heap.add(s.heap_len);
    }
    sift_down(s, 0);
    out
}

#[pg_guard]
unsafe extern "C-unwind" fn recheck_row(
    _node: *mut pg_sys::ScanState,
    _slot: *mut pg_sys::TupleTableSlot,
) -> bool {
    // The plan's qual holds every condition; nothing else to recheck.
    true
}

#[pg_guard]
unsafe extern "C-unwind" fn exec_scan(
    node: *mut pg_sys::CustomScanState,
) -> *mut pg_sys::TupleTableSlot {
    pg_sys::ExecScan(addr_of_mut!((*node).ss), Some(next_row), Some(recheck_row))
}

#[pg_guard]
unsafe extern "C-unwind" fn rescan(node: *mut pg_sys::CustomScanState) {
    let s = &mut *(node as *mut MergedScanState);
    stop(s);
    pg_sys::ExecScanReScan(addr_of_mut!((*node).ss));
}

#[pg_guard]
unsafe extern "C-unwind" fn end_scan(node: *mut pg_sys::CustomScanState) {
    let s = &mut *(node as *mut MergedScanState);
    stop(s);
    if !s.run_cxt.is_null() {
        pg_sys::MemoryContextDelete(s.run_cxt);
        s.run_cxt = ptr::null_mut();
    }
    if !s.index.is_null() {
        pg_sys::index_close(s.index, pg_sys::NoLock as pg_sys::LOCKMODE);
        s.index = ptr::null_mut();
    }
}

#[pg_guard]
unsafe extern "C-unwind" fn explain_scan(
    node: *mut pg_sys::CustomScanState,
    _ancestors: *mut List,
    es: *mut pg_sys::ExplainState,
) {
    let s = &*(node as *mut MergedScanState);
    let name = pg_sys::get_rel_name(s.spec.index);
    if !name.is_null() {
        pg_sys::ExplainPropertyText(c"Index".as_ptr(), name, es);
    }
    let order = if s.spec.descending {
        c"descending"
    } else {
        c"ascending"
    };
    pg_sys::ExplainPropertyText(c"Order".as_ptr(), order.as_ptr(), es);
    if (*es).analyze {
        pg_sys::ExplainPropertyInteger(c"Keys".as_ptr(), ptr::null(), s.keys as i64, es);
        let how = if s.keys > MAX_STREAMS {
            c"sorted"
        } else {
            c"merged"
        };
        pg_sys::ExplainPropertyText(c"Rows".as_ptr(), how.as_ptr(), es);
    }
}
