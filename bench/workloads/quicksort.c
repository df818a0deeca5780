// Quicksort of pseudo-random 32-bit integers: comparisons, swaps, recursion, unpredictable branches.
#include "common.h"

static int32_t numbers[SCALE];

static void insertion_sort(int32_t* items, int count)
{
    for (int i = 1; i < count; ++i) {
        int32_t value = items[i];
        int j = i - 1;
        while (j >= 0 && items[j] > value) {
            items[j + 1] = items[j];
            --j;
        }
        items[j + 1] = value;
    }
}

static void quicksort(int32_t* items, int count)
{
    while (count > 16) {
        int32_t a = items[0], b = items[count / 2], c = items[count - 1];
        int32_t pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
        int i = 0, j = count - 1;
        for (;;) {
            while (items[i] < pivot)
                ++i;
            while (items[j] > pivot)
                --j;
            if (i >= j)
                break;
            int32_t swap = items[i];
            items[i] = items[j];
            items[j] = swap;
            ++i;
            --j;
        }
        // Recurse into the smaller half, loop on the larger: the depth stays logarithmic.
        int left = j + 1;
        if (left < count - left) {
            quicksort(items, left);
            items += left;
            count -= left;
        } else {
            quicksort(items + left, count - left);
            count = left;
        }
    }
    insertion_sort(items, count);
}

EXPORT_RUN int run(void)
{
    // SCALE is the number of integers.
    uint32_t seed = 12345;
    for (int i = 0; i < SCALE; ++i)
        numbers[i] = (int32_t)next_random(&seed);
    quicksort(numbers, SCALE);
    uint32_t checksum = 0;
    for (int i = 0; i < SCALE; ++i) {
        if (i > 0 && numbers[i - 1] > numbers[i])
            return -1; // not sorted
        if (i % 1000 == 0)
            checksum = mix(checksum, (uint32_t)numbers[i]);
    }
    return (int)checksum;
}
