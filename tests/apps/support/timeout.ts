// Service start-ups and the zero-loss scenario take tens of seconds on 2 cores.
jest.setTimeout(180_000);
