// Sorting records by several keys with qsort and a stable merge sort written here, then grouping.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char name[12];
    int age;
    double score;
    int id;
} Person;

static int by_age_then_name(const void* a, const void* b)
{
    const Person* x = a;
    const Person* y = b;
    if (x->age != y->age)
        return x->age - y->age;
    int names = strcmp(x->name, y->name);
    return names ? names : x->id - y->id;
}

static void merge_sort_by_score(Person* items, Person* scratch, int count)
{
    if (count < 2)
        return;
    int half = count / 2;
    merge_sort_by_score(items, scratch, half);
    merge_sort_by_score(items + half, scratch, count - half);
    int i = 0, j = half, k = 0;
    while (i < half && j < count)
        scratch[k++] = items[j].score < items[i].score ? items[j++] : items[i++];
    while (i < half)
        scratch[k++] = items[i++];
    while (j < count)
        scratch[k++] = items[j++];
    memcpy(items, scratch, count * sizeof(Person));
}

int main(void)
{
    const char* names[] = { "ada", "bob", "cy", "dee", "eve", "fay", "gus", "hal" };
    enum { count = 5000 };
    Person* people = malloc(count * sizeof(Person));
    unsigned seed = 42;
    for (int i = 0; i < count; ++i) {
        seed = seed * 1664525u + 1013904223u;
        strcpy(people[i].name, names[(seed >> 24) % 8]);
        people[i].age = 18 + (seed >> 8) % 60;
        people[i].score = ((seed >> 4) % 1000) / 10.0;
        people[i].id = i;
    }
    qsort(people, count, sizeof(Person), by_age_then_name);
    for (int i = 0; i < count; i += 500)
        printf("%4d %-4s %2d %5.1f\n", people[i].id, people[i].name, people[i].age, people[i].score);
    Person* scratch = malloc(count * sizeof(Person));
    merge_sort_by_score(people, scratch, count);
    int stable = 1;
    for (int i = 1; i < count; ++i)
        if (people[i - 1].score == people[i].score && by_age_then_name(&people[i - 1], &people[i]) > 0)
            stable = 0;
    printf("stable %d, lowest %.1f highest %.1f\n", stable, people[0].score, people[count - 1].score);
    int histogram[10] = { 0 };
    for (int i = 0; i < count; ++i)
        histogram[(int)(people[i].score / 10)]++;
    for (int i = 0; i < 10; ++i)
        printf("%2d0s: %d\n", i, histogram[i]);
    free(scratch);
    free(people);
    return 0;
}
