/* The aligner's two longest loops, compiled: the band DP's rows (transcompare/align/dp.py,
 * _Row.step) and the k best cosines of every target column (band.py, BandMatrix._column_best).
 *
 * Each runs the same steps on the same numbers as the array form, cell by cell, in the order the
 * array form takes them (additions and comparisons only, so no contraction or reordering can
 * change a bit), and tests/test_align.py checks that both give the same results. The extension
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

static PyMethodDef methods[] = {
    {"dp_rows", dp_rows, METH_VARARGS, "Rows b0..b1-1 of the band DP (dp._Row.step, cell by cell)."},
    {"column_slots", column_slots, METH_VARARGS, "Each column's k best values in row order (BandMatrix._column_best)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "cloops", "The aligner's two longest loops, compiled.", -1, methods};

PyMODINIT_FUNC PyInit_cloops(void) { return PyModule_Create(&module); }
