/* The aligner's longest loops, compiled: the band DP's rows (transcompare/align/dp.py,
 * _Row.step), the k best cosines of every target column (band.py, BandMatrix._column_best) and
 * the member test's z-scores against the pool (members.py, member_zs).
 *
 * Each runs the same steps on the same numbers as the array form, element by element, in the
 * order the array form takes them (built with -ffp-contract=off, so no multiply-add is fused; a
 * sum as numpy's pairwise summation takes it; a median as an order statistic), and
 * tests/test_align.py checks that both give the same results, to the bit. The extension
 * is optional: where it was not built, the array forms run.
 *
 * Arrays come in through the buffer protocol (no numpy headers are needed to build this); every
 * shape and index is checked before it is used. The GIL is released while a loop runs. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

typedef struct {
    Py_buffer view;
    int held;
} Arr;

static void release(Arr *a) {
    if (a->held) {
        PyBuffer_Release(&a->view);
        a->held = 0;
    }
}

/* an array of `ndim` dimensions whose items are `kind` ('f' float, 'i' signed int) of `size`
 * bytes, C-contiguous (writable if asked) */
static int take(PyObject *obj, Arr *a, const char *name, int ndim, char kind, Py_ssize_t size, int writable) {
    int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0);
    if (PyObject_GetBuffer(obj, &a->view, flags) < 0)
        return -1;
    a->held = 1;
    const char *f = a->view.format ? a->view.format : "B";
    if (*f == '@' || *f == '=' || *f == '<')
        f++;
    int ok_kind = kind == 'f' ? (*f == 'f' || *f == 'd') : (strchr("bhilq", *f) != NULL);
    if (a->view.ndim != ndim || a->view.itemsize != size || !ok_kind || f[1] != '\0') {
        PyErr_Format(PyExc_ValueError, "%s: expected a %d-d array of %zd-byte %s", name, ndim, size,
                     kind == 'f' ? "floats" : "integers");
        release(a);
        return -1;
    }
    return 0;
}

#define AT2(a, i, j) ((a).shape[1] * (i) + (j))

static PyObject *dp_rows(PyObject *self, PyObject *args) {
    (void)self;
    Py_ssize_t b0, b1, max_a, max_b, scan;
    double neg;
    PyObject *o_block, *o_ring, *o_spans, *o_cl, *o_ch, *o_et, *o_ea, *o_eb, *o_bp, *o_run;
    if (!PyArg_ParseTuple(args, "nnOOOOOOOOnnndOO", &b0, &b1, &o_block, &o_ring, &o_spans, &o_cl, &o_ch, &o_et,
                          &o_ea, &o_eb, &max_a, &max_b, &scan, &neg, &o_bp, &o_run))
        return NULL;
    Arr block = {0}, ring = {0}, spans = {0}, cl = {0}, ch = {0}, et = {0}, ea = {0}, eb = {0}, bp = {0}, run_of = {0};
    PyObject *result = NULL;
    if (take(o_block, &block, "block", 3, 'f', 8, 0) || take(o_ring, &ring, "ring", 2, 'f', 8, 1) ||
        take(o_spans, &spans, "spans", 2, 'i', 8, 1) || take(o_cl, &cl, "cl", 1, 'i', 8, 0) ||
        take(o_ch, &ch, "ch", 1, 'i', 8, 0) || take(o_et, &et, "ending_t", 1, 'i', 1, 0) ||
        take(o_ea, &ea, "ending_a", 1, 'i', 8, 0) || take(o_eb, &eb, "ending_b", 1, 'i', 8, 0) ||
        take(o_bp, &bp, "bp", 2, 'i', 1, 1) || take(o_run, &run_of, "run_of", 1, 'f', 8, 1))
        goto done;
    const double *g = block.view.buf;
    double *R = ring.view.buf, *run_buf = run_of.view.buf;
    int64_t *sp = spans.view.buf;
    const int64_t *lo_c = cl.view.buf, *hi_c = ch.view.buf, *A = ea.view.buf, *B = eb.view.buf;
    const int8_t *T = et.view.buf;
    int8_t *back = bp.view.buf;
    Py_ssize_t ntypes = et.view.shape[0], slots = max_a + 1, ring_w = ring.view.shape[1];
    Py_ssize_t gw = block.view.shape[2], bpw = bp.view.shape[1];
    /* every index the loop takes, checked first */
    int bad = b0 < 0 || b1 < b0 || b1 > cl.view.shape[0] || ch.view.shape[0] != cl.view.shape[0] ||
              block.view.shape[0] < b1 - b0 || block.view.shape[1] != ntypes || ntypes < 1 ||
              ea.view.shape[0] != ntypes || eb.view.shape[0] != ntypes || ring.view.shape[0] != slots ||
              spans.view.shape[0] != slots || spans.view.shape[1] != 2 || bp.view.shape[0] < b1 - b0 ||
              max_a < 1 || max_b < 0;
    for (Py_ssize_t t = 0; !bad && t < ntypes; t++)
        bad = A[t] < 1 || A[t] > max_a || B[t] < 0 || B[t] > max_b;
    for (Py_ssize_t i = b0; !bad && i < b1; i++) {
        Py_ssize_t w = hi_c[i] - lo_c[i] + 1;
        bad = lo_c[i] < 0 || w < 1 || w > gw || w > bpw || w > run_of.view.shape[0] || hi_c[i] + max_b >= ring_w;
    }
    for (Py_ssize_t s = 0; !bad && s < slots; s++)
        bad = sp[2 * s + 1] >= sp[2 * s] && (sp[2 * s] < 0 || sp[2 * s + 1] + max_b >= ring_w);
    if (bad) {
        PyErr_SetString(PyExc_ValueError, "dp_rows: arrays and band do not fit together");
        goto done;
    }
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = b0; i < b1; i++) {
        Py_ssize_t a_i = lo_c[i], width = hi_c[i] - lo_c[i] + 1, slot = i % slots, r = i - b0;
        const double *gr = g + r * ntypes * gw;
        double run = -INFINITY;
        for (Py_ssize_t c = 0; c < width; c++) {
            /* the first type with the highest predecessor plus gain (np.argmax) */
            Py_ssize_t k = 0;
            double top = R[AT2(ring.view, (i - A[0] + slots) % slots, c + a_i + max_b - B[0])] + gr[c];
            for (Py_ssize_t t = 1; t < ntypes; t++) {
                double v = R[AT2(ring.view, (i - A[t] + slots) % slots, c + a_i + max_b - B[t])] + gr[t * gw + c];
                if (v > top) {
                    top = v;
                    k = t;
                }
            }
            double best = top > neg ? top : neg;
            int8_t bk = top > neg ? T[k] : (int8_t)-1;
            if (i == 0 && c == 0) {
                if (best < 0.0)
                    best = 0.0;
                if (top <= 0.0)
                    bk = -1;
            }
            /* the running maximum along the row: the 0-1 bead where it is higher */
            if (c > 0 && run > best)
                bk = (int8_t)scan;
            else
                run = best;
            back[AT2(bp.view, r, c)] = bk;
            run_buf[c] = run;
        }
        for (Py_ssize_t c = sp[2 * slot]; c <= sp[2 * slot + 1]; c++)
            R[AT2(ring.view, slot, c + max_b)] = -INFINITY;
        for (Py_ssize_t c = 0; c < width; c++)
            R[AT2(ring.view, slot, c + a_i + max_b)] = run_buf[c] > neg / 2 ? run_buf[c] : -INFINITY;
        sp[2 * slot] = a_i;
        sp[2 * slot + 1] = hi_c[i];
    }
    Py_END_ALLOW_THREADS
    result = Py_None;
    Py_INCREF(result);
done:
    release(&block); release(&ring); release(&spans); release(&cl); release(&ch);
    release(&et); release(&ea); release(&eb); release(&bp); release(&run_of);
    return result;
}

static PyObject *column_slots(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *o_data, *o_lo, *o_r0, *o_r1, *o_best;
    if (!PyArg_ParseTuple(args, "OOOOO", &o_data, &o_lo, &o_r0, &o_r1, &o_best))
        return NULL;
    Arr data = {0}, lo = {0}, r0 = {0}, r1 = {0}, best = {0};
    PyObject *result = NULL;
    if (take(o_data, &data, "data", 2, 'f', 4, 0) || take(o_lo, &lo, "lo", 1, 'i', 8, 0) ||
        take(o_r0, &r0, "r0", 1, 'i', 8, 0) || take(o_r1, &r1, "r1", 1, 'i', 8, 0) ||
        take(o_best, &best, "best", 2, 'f', 4, 1))
        goto done;
    const float *D = data.view.buf;
    const int64_t *L = lo.view.buf, *first = r0.view.buf, *end = r1.view.buf;
    float *S = best.view.buf;
    Py_ssize_t n = data.view.shape[0], w = data.view.shape[1], m = best.view.shape[0], k = best.view.shape[1];
    int bad = lo.view.shape[0] != n || r0.view.shape[0] != m || r1.view.shape[0] != m || k < 1;
    for (Py_ssize_t c = 0; !bad && c < m; c++)
        for (Py_ssize_t row = first[c]; !bad && row < end[c]; row++)
            bad = row < 0 || row >= n || c - L[row] < 0 || c - L[row] >= w;
    if (bad) {
        PyErr_SetString(PyExc_ValueError, "column_slots: a column's rows fall outside the band");
        goto done;
    }
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t c = 0; c < m; c++) {
        float *slot = S + c * k;
        for (Py_ssize_t row = first[c]; row < end[c]; row++) {
            /* a value that beats the column's lowest slot (the first of equal ones: np.argmin)
             * takes it */
            float v = D[row * w + (c - L[row])];
            Py_ssize_t low = 0;
            for (Py_ssize_t s = 1; s < k; s++)
                if (slot[s] < slot[low])
                    low = s;
            if (v > slot[low])
                slot[low] = v;
        }
    }
    Py_END_ALLOW_THREADS
    result = Py_None;
    Py_INCREF(result);
done:
    release(&data); release(&lo); release(&r0); release(&r1); release(&best);
    return result;
}


/* ---------------------------------------------------------------- the member test's z-scores */

/* np.add.reduce of a contiguous float64 array: numpy's pairwise summation (blocks of 128 summed
 * in eight running sums, halves of longer runs summed apart), so the sum is numpy's to the bit */
static double pairwise_sum(const double *a, Py_ssize_t n) {
    if (n < 8) {
        double res = 0.;
        for (Py_ssize_t i = 0; i < n; i++)
            res += a[i];
        return res;
    }
    if (n <= 128) {
        double r[8];
        Py_ssize_t i;
        for (int j = 0; j < 8; j++)
            r[j] = a[j];
        for (i = 8; i < n - (n % 8); i += 8)
            for (int j = 0; j < 8; j++)
                r[j] += a[i + j];
        double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; i++)
            res += a[i];
        return res;
    }
    Py_ssize_t n2 = n / 2;
    n2 -= n2 % 8;
    return pairwise_sum(a, n2) + pairwise_sum(a + n2, n - n2);
}

/* a < b, with NaN above every number (np.partition's order) */
static int before(double a, double b) { return a < b || (b != b && a == a); }

/* the k-th smallest of a[0..n-1] (a is reordered): an order statistic, so the same value as
 * np.partition's whatever the method */
static double select_kth(double *a, Py_ssize_t n, Py_ssize_t k) {
    Py_ssize_t lo = 0, hi = n - 1;
    while (lo < hi) {
        double pivot = a[lo + (hi - lo) / 2];
        Py_ssize_t i = lo, j = hi;
        while (i <= j) {
            while (before(a[i], pivot))
                i++;
            while (before(pivot, a[j]))
                j--;
            if (i <= j) {
                double tmp = a[i];
                a[i] = a[j];
                a[j] = tmp;
                i++;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            return a[k];
    }
    return a[k];
}

static PyObject *member_zs(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *o_t, *o_tsq, *o_ttv, *o_prod, *o_bb, *o_btv, *o_val;
    if (!PyArg_ParseTuple(args, "OOOOOOO", &o_t, &o_tsq, &o_ttv, &o_prod, &o_bb, &o_btv, &o_val))
        return NULL;
    Arr t = {0}, tsq = {0}, ttv = {0}, prod = {0}, bb = {0}, btv = {0}, val = {0};
    PyObject *result = NULL;
    double *vals = NULL;
    if (take(o_t, &t, "t", 1, 'f', 8, 0) || take(o_tsq, &tsq, "t_square", 1, 'f', 8, 0) ||
        take(o_ttv, &ttv, "t_tv", 1, 'f', 8, 0) || take(o_prod, &prod, "products", 2, 'f', 8, 0) ||
        take(o_bb, &bb, "bb", 1, 'f', 8, 0) || take(o_btv, &btv, "btv", 1, 'f', 8, 0) ||
        take(o_val, &val, "val", 1, 'f', 8, 0))
        goto done;
    Py_ssize_t n = t.view.shape[0], tries = bb.view.shape[0];
    if (n < 1 || tsq.view.shape[0] != n || ttv.view.shape[0] != n || prod.view.shape[0] != n ||
        prod.view.shape[1] != tries + 1 || btv.view.shape[0] != tries || val.view.shape[0] != tries) {
        PyErr_SetString(PyExc_ValueError, "member_zs: arrays of different lengths");
        goto done;
    }
    vals = PyMem_Malloc(2 * n * sizeof(double));
    result = PyList_New(tries);
    if (vals == NULL || result == NULL) {
        Py_CLEAR(result);
        PyErr_NoMemory();
        goto done;
    }
    const double *T = t.view.buf, *TS = tsq.view.buf, *TT = ttv.view.buf, *P = prod.view.buf;
    const double *BB = bb.view.buf, *BT = btv.view.buf, *V = val.view.buf;
    double *work = vals + n;
    for (Py_ssize_t k = 0; k < tries; k++) {
        /* each pool sentence completing the bead instead (members.py's array steps, in their order) */
        for (Py_ssize_t i = 0; i < n; i++) {
            double square = (BB[k] + (2 * T[i]) * P[i * (tries + 1) + k + 1]) + TS[i];
            double kept = square != square ? square : (square > 0.0 ? square : 0.0);
            vals[i] = (BT[k] + TT[i]) / (sqrt(kept) + 1e-12);
        }
        /* the median (np.partition) and the standard deviation (np.add.reduce, as _std) */
        memcpy(work, vals, n * sizeof(double));
        Py_ssize_t h = n / 2;
        double median;
        if (n % 2)
            median = select_kth(work, n, h);
        else {
            double upper = select_kth(work, n, h);
            double lower = select_kth(work, h, h - 1); /* the lower half now lies before h */
            median = (lower + upper) / 2;
        }
        double mean = pairwise_sum(vals, n) / (double)n;
        for (Py_ssize_t i = 0; i < n; i++) {
            double d = vals[i] - mean;
            work[i] = d * d;
        }
        double std = sqrt(pairwise_sum(work, n) / (double)n);
        PyObject *z = PyFloat_FromDouble((V[k] - median) / (std + 1e-9));
        if (z == NULL) {
            Py_CLEAR(result);
            goto done;
        }
        PyList_SET_ITEM(result, k, z);
    }
done:
    PyMem_Free(vals);
    release(&t); release(&tsq); release(&ttv); release(&prod); release(&bb); release(&btv); release(&val);
    return result;
}

static PyMethodDef methods[] = {
    {"dp_rows", dp_rows, METH_VARARGS, "Rows b0..b1-1 of the band DP (dp._Row.step, cell by cell)."},
    {"column_slots", column_slots, METH_VARARGS, "Each column's k best values in row order (BandMatrix._column_best)."},
    {"member_zs", member_zs, METH_VARARGS, "The member test's z-scores of a bead's tries (members.member_zs)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "cloops", "The aligner's longest loops, compiled (see align/native.py).", -1, methods};

PyMODINIT_FUNC PyInit_cloops(void) { return PyModule_Create(&module); }
