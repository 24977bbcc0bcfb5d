"""A CIFAR/MNIST-style PyTorch script as people write them, not written for Trainchain: its own argparse, data
through torchvision from ../data, progress printed, the test accuracy printed and written to accuracy.txt, and
model.pt saved next to itself. Trainchain runs it from trainchain.yaml alone (template mode)."""
import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
import torchvision.transforms as transforms


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 20, 5)
        self.conv2 = nn.Conv2d(20, 50, 5)
        self.fc1 = nn.Linear(800, 500)
        self.fc2 = nn.Linear(500, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc2(F.relu(self.fc1(torch.flatten(x, 1))))


def main():
    parser = argparse.ArgumentParser(description="Fashion-MNIST CNN")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--lr", type=float, default=0.002)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--train-size", type=int, default=0, help="use only the first N training images")
    args = parser.parse_args()
    torch.manual_seed(123)

    transform = transforms.ToTensor()
    trainset = torchvision.datasets.FashionMNIST(root="../data", train=True, download=True, transform=transform)
    testset = torchvision.datasets.FashionMNIST(root="../data", train=False, download=True, transform=transform)
    if args.train_size:
        trainset = torch.utils.data.Subset(trainset, range(args.train_size))
    trainloader = torch.utils.data.DataLoader(trainset, batch_size=args.batch_size, shuffle=True)
    testloader = torch.utils.data.DataLoader(testset, batch_size=1000)

    net = Net()
    optimizer = torch.optim.Adam(net.parameters(), lr=args.lr)
    for epoch in range(args.epochs):
        running = 0.0
        for inputs, labels in trainloader:
            optimizer.zero_grad()
            loss = F.cross_entropy(net(inputs), labels)
            loss.backward()
            optimizer.step()
            running += loss.item() * len(labels)
        print("Epoch %d loss: %.4f" % (epoch + 1, running / len(trainset)))

    correct = total = 0
    net.eval()
    with torch.no_grad():
        for inputs, labels in testloader:
            correct += (net(inputs).argmax(1) == labels).sum().item()
            total += len(labels)
    accuracy = 100 * correct // total
    print("Test Accuracy (Overall): %d%%" % accuracy)
    with open("accuracy.txt", "w") as f:
        f.write("%d\n" % accuracy)
    torch.save(net.state_dict(), "model.pt")


if __name__ == "__main__":
    main()
