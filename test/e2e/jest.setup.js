// Starting four services and a crash-restart cycle takes minutes on two cores.
jest.setTimeout(180_000);
