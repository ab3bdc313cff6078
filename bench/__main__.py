"""`python -m bench`: run the benchmarks."""

from bench.cli import main

if __name__ == "__main__":  # not in the processes a run spawns (chat processes, growth's loaders)
    main()
