// Five services and a browser on two cores: starting them takes a minute or two.
jest.setTimeout(240_000);
