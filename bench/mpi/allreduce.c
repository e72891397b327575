/* Open MPI's own all-reduce time for a float32 buffer of N elements (the A term of docs/distributed.md), measured
   apart from any training: mpicc -O2 bench/mpi/allreduce.c -o /tmp/allreduce && \
   mpirun --allow-run-as-root -np 2 --bind-to core /tmp/allreduce 669706 [reps]
   Prints the median over reps of the slowest rank's time per MPI_Allreduce(SUM) in place.
   A third argument "i" times MPI_Iallreduce + MPI_Wait instead (the non-blocking path DistributedDataParallel used). */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return (x > y) - (x < y); }

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    long n = argc > 1 ? atol(argv[1]) : 669706;
    int reps = argc > 2 ? atoi(argv[2]) : 200;
    int nonblocking = argc > 3 && strcmp(argv[3], "i") == 0;
    float *buf = malloc(n * sizeof(float));
    double *t = malloc(reps * sizeof(double));
    for (long i = 0; i < n; i++) buf[i] = (float)(i % 7) * 1e-3f;
    for (int w = 0; w < 10; w++) MPI_Allreduce(MPI_IN_PLACE, buf, (int)n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
    for (int r = 0; r < reps; r++) {
        MPI_Barrier(MPI_COMM_WORLD);
        double t0 = MPI_Wtime();
        if (nonblocking) {
            MPI_Request req;
            MPI_Iallreduce(MPI_IN_PLACE, buf, (int)n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD, &req);
            MPI_Wait(&req, MPI_STATUS_IGNORE);
        } else
            MPI_Allreduce(MPI_IN_PLACE, buf, (int)n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
        double dt = MPI_Wtime() - t0, slowest;
        MPI_Allreduce(&dt, &slowest, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
        t[r] = slowest;
    }
    qsort(t, reps, sizeof(double), cmp);
    if (rank == 0)
        printf("%s %ld floats (%.2f MB) on %d ranks: median %.3f ms, p10 %.3f ms, p90 %.3f ms (%d reps)\n",
               nonblocking ? "iallreduce+wait" : "allreduce", n, n * 4 / 1e6, size, t[reps / 2] * 1e3, t[reps / 10] * 1e3, t[reps * 9 / 10] * 1e3, reps);
    free(buf); free(t);
    MPI_Finalize();
    return 0;
}
