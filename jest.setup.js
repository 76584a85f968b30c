// Integration specs talk to a real broker and database: joining a consumer group alone takes seconds.
jest.setTimeout(60_000);
